{{%AUTOESCAPE context="HTML"}}<h1>{{t_profile__title}}</h1>
<p class="lead">{{t_profile__intro}}</p>
{{#SAVED}}<div class="notice" role="status"><p>{{t_profile__saved}} <a href="{{PUBLIC_HREF}}">{{t_profile__see_public}}</a></p></div>
{{/SAVED}}{{>FORM}}
<p><a href="{{PUBLIC_HREF}}">{{t_profile__see_public}}</a></p>
