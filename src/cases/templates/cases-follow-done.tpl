{{%AUTOESCAPE context="HTML"}}<h1>{{t_follow_done__title}}</h1>
<div class="notice" role="status"><p>{{NOTICE}}</p></div>
<p><a href="{{BACK_HREF}}">{{t_follow_done__back}}</a></p>
