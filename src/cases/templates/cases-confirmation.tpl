{{%AUTOESCAPE context="HTML"}}<div class="notice" role="status">
<h1>{{t_apply__done_title}}</h1>
<p>{{t_apply__tracking}}</p>
<p class="tracking"><strong><bdi dir="ltr">{{TRACKING}}</bdi></strong></p>
</div>
<p>{{NEXT}}</p>
<p><a href="{{CASE_HREF}}">{{t_apply__follow}}</a></p>
